terraform {
  required_providers {
    alicloud = {
      source = "aliyun/alicloud"
    }
  }
}

# The ecslocal endpoint (host:port), e.g. -var endpoint=127.0.0.1:8790.
variable "endpoint" {
  type = string
}

provider "alicloud" {
  access_key             = "test"
  secret_key             = "test"
  region                 = "cn-hangzhou"
  protocol               = "HTTP"
  skip_region_validation = true
  # Known up front, so the provider asks BssOpenApi nothing at start.
  account_type = "Domestic"
  endpoints {
    ecs = var.endpoint
    vpc = var.endpoint
    slb = var.endpoint
  }
}

resource "alicloud_vpc" "main" {
  vpc_name   = "tf-vpc"
  cidr_block = "172.16.0.0/12"
}

resource "alicloud_vswitch" "main" {
  vswitch_name = "tf-vsw"
  vpc_id       = alicloud_vpc.main.id
  cidr_block   = "172.16.1.0/24"
  zone_id      = "cn-hangzhou-h"
}

resource "alicloud_security_group" "main" {
  security_group_name = "tf-sg"
  vpc_id              = alicloud_vpc.main.id
}

# Apply with protect=true, then protect=false, then destroy.
variable "protect" {
  type    = bool
  default = true
}

resource "alicloud_instance" "payg" {
  instance_name        = "tf-payg"
  image_id             = "aliyun_3_x64_20G_alibase_20240528.vhd"
  instance_type        = "ecs.c7.large"
  vswitch_id           = alicloud_vswitch.main.id
  security_groups      = [alicloud_security_group.main.id]
  instance_charge_type = "PostPaid"
  system_disk_category = "cloud_essd"
  system_disk_size     = 40
  user_data            = base64encode("#!/bin/sh\necho hello\n")
  tags = {
    env = "tf"
  }

  data_disks {
    name     = "tf-data-1"
    category = "cloud_essd"
    size     = 40
  }
  data_disks {
    name                 = "tf-data-2"
    category             = "cloud_efficiency"
    size                 = 60
    delete_with_instance = true
  }
}

resource "alicloud_instance" "prepaid" {
  instance_name        = "tf-prepaid"
  image_id             = "aliyun_3_x64_20G_alibase_20240528.vhd"
  instance_type        = "ecs.c7.large"
  vswitch_id           = alicloud_vswitch.main.id
  security_groups      = [alicloud_security_group.main.id]
  instance_charge_type = "PrePaid"
  period_unit          = "Month"
  period               = 1
  force_delete         = true
  system_disk_category = "cloud_essd"
}

resource "alicloud_instance" "protected" {
  instance_name        = "tf-protected"
  image_id             = "aliyun_3_x64_20G_alibase_20240528.vhd"
  instance_type        = "ecs.c7.large"
  vswitch_id           = alicloud_vswitch.main.id
  security_groups      = [alicloud_security_group.main.id]
  system_disk_category = "cloud_essd"
  deletion_protection  = var.protect
}
